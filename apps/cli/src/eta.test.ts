import { describe, expect, it } from 'vitest';
import { formatDuration, timeLeft } from './eta';

describe('formatDuration', () => {
  it('shows seconds alone under a minute', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(42)).toBe('42s');
    expect(formatDuration(59.4)).toBe('59s');
  });

  it('shows minutes and zero-padded seconds under an hour', () => {
    expect(formatDuration(60)).toBe('1m 00s');
    expect(formatDuration(65)).toBe('1m 05s');
    expect(formatDuration(3599)).toBe('59m 59s');
  });

  it('shows hours and zero-padded minutes from an hour on', () => {
    expect(formatDuration(3600)).toBe('1h 00m');
    expect(formatDuration(3930)).toBe('1h 05m');
    expect(formatDuration(30 * 3600 + 61)).toBe('30h 01m');
  });

  it('never shows a negative duration', () => {
    expect(formatDuration(-5)).toBe('0s');
  });
});

describe('timeLeft', () => {
  it('says queued for a queued run instead of an estimate', () => {
    expect(timeLeft('QUEUED', null)).toBe('queued');
  });

  it('gives a running run its estimate with units, or says it is still estimating', () => {
    expect(timeLeft('RUNNING', 65)).toBe('ETA 1m 05s');
    expect(timeLeft('RUNNING', 0)).toBe('ETA 0s');
    expect(timeLeft('RUNNING', null)).toBe('ETA estimating');
  });

  it('says ended once the run is over', () => {
    for (const status of ['SUCCEEDED', 'FAILED', 'CANCELLED']) expect(timeLeft(status, null)).toBe('ended');
  });
});
