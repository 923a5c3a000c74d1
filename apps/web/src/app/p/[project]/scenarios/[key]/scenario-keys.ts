import type { ScenarioKey } from '@/graphql/generated/graphql';

/** The scenarios' URL segments, in the order the overview shows them. */
export const SCENARIO_SEGMENTS = ['medical', 'security', 'finance'] as const;
export type ScenarioKeyName = (typeof SCENARIO_SEGMENTS)[number];

export function scenarioKeyOf(segment: string): ScenarioKey | null {
  return (SCENARIO_SEGMENTS as readonly string[]).includes(segment) ? (segment.toUpperCase() as ScenarioKey) : null;
}

export function segmentOf(key: ScenarioKey): ScenarioKeyName {
  return key.toLowerCase() as ScenarioKeyName;
}
