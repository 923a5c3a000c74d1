/** Next passes route params URL-encoded; names in Lepton are [A-Za-z0-9._-] but decode anyway. */
export async function projectParam(params: Promise<{ project: string }>): Promise<string> {
  return decodeURIComponent((await params).project);
}

export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
