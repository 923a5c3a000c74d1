import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  compareVersions,
  indexUrls,
  listProjectFiles,
  parseRequiresDist,
  parseWheelName,
  pickRequirementWheel,
  pickWheel,
  platformTagMatches,
  requirementsOfExtra,
  satisfies,
  type IndexFile,
  type Platform,
} from './python-index';
import { startFakeIndex } from './testing/fake-index';

const linux: Platform = { os: 'linux', arch: 'x86_64', glibc: [2, 36], macos: null };
const oldLinux: Platform = { ...linux, glibc: [2, 17] };
const arm: Platform = { os: 'linux', arch: 'aarch64', glibc: [2, 31], macos: null };
const mac: Platform = { os: 'darwin', arch: 'arm64', glibc: null, macos: [14, 0] };

const file = (filename: string): IndexFile => ({
  project: 'x',
  filename,
  url: `https://files.example/${filename}`,
  sha256: 'ab'.repeat(32),
  size: 1,
  index: 'https://pypi.org/simple/',
});

describe('versions (PEP 440)', () => {
  it('orders releases, pre-releases, post-releases and dev releases as pip does', () => {
    const sorted = ['2.21.0.dev3', '2.21.0rc0', '2.21.0rc1', '2.21.0', '2.21.0.post1', '2.21.1', '12.5.3.2', '12.5.82'];
    expect([...sorted].reverse().sort(compareVersions)).toEqual(sorted);
    expect(compareVersions('2.21', '2.21.0')).toBe(0);
  });

  it('checks the specifiers wheels use', () => {
    expect(satisfies('12.5.3.2', '<13.0,>=12.5.3.2')).toBe(true);
    expect(satisfies('13.0.0', '<13.0,>=12.5.3.2')).toBe(false);
    expect(satisfies('0.5.1', '!=0.5.0,!=0.5.1,!=0.5.2,>=0.2.1')).toBe(false);
    expect(satisfies('2.21.4', '==2.21.*')).toBe(true);
    expect(satisfies('1.4.5', '~=1.4.2')).toBe(true);
    expect(satisfies('1.5.0', '~=1.4.2')).toBe(false);
    expect(satisfies('9.3.0.75', '')).toBe(true);
  });
});

describe('wheel names and platform tags', () => {
  it('reads the parts of a wheel file name', () => {
    expect(parseWheelName('tensorflow_cpu-2.21.0-cp312-cp312-manylinux_2_27_x86_64.whl')).toEqual({
      project: 'tensorflow-cpu',
      version: '2.21.0',
      pythonTags: ['cp312'],
      abiTags: ['cp312'],
      platformTags: ['manylinux_2_27_x86_64'],
    });
    expect(
      parseWheelName('nvidia_nccl_cu12-2.27.7-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl')?.platformTags,
    ).toEqual(['manylinux2014_x86_64', 'manylinux_2_17_x86_64']);
    expect(parseWheelName('tensorflow-2.21.0.tar.gz')).toBeNull();
  });

  it('matches manylinux by glibc and architecture, macOS by version', () => {
    expect(platformTagMatches('manylinux_2_27_x86_64', linux)).toBe(true);
    expect(platformTagMatches('manylinux_2_27_x86_64', oldLinux)).toBe(false);
    expect(platformTagMatches('manylinux2014_x86_64', oldLinux)).toBe(true);
    expect(platformTagMatches('manylinux_2_27_aarch64', linux)).toBe(false);
    expect(platformTagMatches('manylinux_2_27_aarch64', arm)).toBe(true);
    expect(platformTagMatches('musllinux_1_2_x86_64', linux)).toBe(false);
    expect(platformTagMatches('macosx_12_0_arm64', mac)).toBe(true);
    expect(platformTagMatches('macosx_15_0_arm64', mac)).toBe(false);
    expect(platformTagMatches('macosx_10_9_universal2', mac)).toBe(true);
    expect(platformTagMatches('win_amd64', linux)).toBe(false);
  });

  it('picks the wheel for this platform, preferring py3 then the newest CPython (only the C libraries are used)', () => {
    const files = [
      'tensorflow_cpu-2.21.0-cp310-cp310-manylinux_2_27_x86_64.whl',
      'tensorflow_cpu-2.21.0-cp313-cp313-manylinux_2_27_x86_64.whl',
      'tensorflow_cpu-2.21.0-cp313-cp313-win_amd64.whl',
      'tensorflow_cpu-2.21.0rc1-cp313-cp313-manylinux_2_27_x86_64.whl',
      'tensorflow_cpu-2.20.0-cp313-cp313-manylinux_2_27_x86_64.whl',
    ].map(file);
    expect(pickWheel(files, 'tensorflow-cpu', '2.21.0', linux)?.filename).toBe(
      'tensorflow_cpu-2.21.0-cp313-cp313-manylinux_2_27_x86_64.whl',
    );
    expect(pickWheel(files, 'tensorflow-cpu', '2.21.0', oldLinux)).toBeNull();
    expect(pickWheel(files, 'tensorflow-cpu', '2.21.0', mac)).toBeNull();
  });
});

describe("the CUDA extra's requirements", () => {
  // Lines from tensorflow-2.21.0's METADATA.
  const metadata = [
    'Metadata-Version: 2.1',
    'Name: tensorflow',
    'Requires-Dist: numpy>=1.26.0',
    'Requires-Dist: nvidia-cublas-cu12<13.0,>=12.5.3.2; extra == "and-cuda"',
    'Requires-Dist: nvidia-cudnn-cu12<10.0,>=9.3.0.75; extra == "and-cuda"',
    'Requires-Dist: nvidia-nccl-cu12<3.0,>=2.27.7; extra == "and-cuda"',
    'Requires-Dist: tensorflow-io-gcs-filesystem>=0.23.1; (sys_platform != "win32" and python_version < "3.13") and extra == "gcs-filesystem"',
  ].join('\n');

  it('lists the nvidia-*-cu12 wheels of the and-cuda extra and nothing else', () => {
    expect(requirementsOfExtra(parseRequiresDist(metadata), 'and-cuda')).toEqual([
      { project: 'nvidia-cublas-cu12', specifier: '<13.0,>=12.5.3.2', marker: 'extra == "and-cuda"' },
      { project: 'nvidia-cudnn-cu12', specifier: '<10.0,>=9.3.0.75', marker: 'extra == "and-cuda"' },
      { project: 'nvidia-nccl-cu12', specifier: '<3.0,>=2.27.7', marker: 'extra == "and-cuda"' },
    ]);
  });

  it('picks the newest final release within the range that has a wheel for this platform', () => {
    const files = [
      'nvidia_cudnn_cu12-9.3.0.75-py3-none-manylinux2014_x86_64.whl',
      'nvidia_cudnn_cu12-9.10.2.21-py3-none-manylinux_2_27_x86_64.whl',
      'nvidia_cudnn_cu12-9.11.0.98-py3-none-manylinux_2_27_aarch64.whl',
      'nvidia_cudnn_cu12-9.12.0.46rc1-py3-none-manylinux_2_27_x86_64.whl',
      'nvidia_cudnn_cu12-10.0.0.1-py3-none-manylinux_2_27_x86_64.whl',
    ].map(file);
    const requirement = { project: 'nvidia-cudnn-cu12', specifier: '<10.0,>=9.3.0.75', marker: '' };
    expect(pickRequirementWheel(files, requirement, linux)?.filename).toBe(
      'nvidia_cudnn_cu12-9.10.2.21-py3-none-manylinux_2_27_x86_64.whl',
    );
    expect(pickRequirementWheel(files, requirement, oldLinux)?.filename).toBe(
      'nvidia_cudnn_cu12-9.3.0.75-py3-none-manylinux2014_x86_64.whl',
    );
  });
});

describe('reading an index', () => {
  it('takes PIP_INDEX_URL then every PIP_EXTRA_INDEX_URL, defaulting to PyPI', () => {
    expect(indexUrls({})).toEqual(['https://pypi.org/simple/']);
    expect(
      indexUrls({
        PIP_INDEX_URL: 'https://mirror.example/pypi/simple',
        PIP_EXTRA_INDEX_URL: 'https://a.example/simple/  https://b.example/simple',
      }),
    ).toEqual(['https://mirror.example/pypi/simple/', 'https://a.example/simple/', 'https://b.example/simple/']);
  });

  for (const format of ['json', 'html'] as const) {
    it(`lists a project's files with their sha256 from the ${format === 'json' ? 'JSON (PEP 691)' : 'HTML (PEP 503)'} simple API`, async () => {
      const content = new Uint8Array([1, 2, 3]);
      const index = await startFakeIndex(
        { 'tensorflow-cpu': [{ filename: 'tensorflow_cpu-2.21.0-cp313-cp313-manylinux_2_27_x86_64.whl', content }] },
        format,
      );
      try {
        const files = await listProjectFiles('TensorFlow_CPU', index.url);
        expect(files).toEqual([
          {
            project: 'TensorFlow_CPU',
            filename: 'tensorflow_cpu-2.21.0-cp313-cp313-manylinux_2_27_x86_64.whl',
            url: `${index.url.replace('/simple/', '')}/files/tensorflow_cpu-2.21.0-cp313-cp313-manylinux_2_27_x86_64.whl`,
            sha256: createHash('sha256').update(content).digest('hex'),
            size: format === 'json' ? 3 : null,
            index: index.url,
          },
        ]);
        expect(await listProjectFiles('not-there', index.url)).toEqual([]);
      } finally {
        await index.close();
      }
    });
  }
});
