/**
 * Shows user-supplied JSON (run params, lineage) as text: React escapes it, nothing is ever
 * interpreted as HTML.
 */
export function JsonView({ value }: { value: unknown }) {
  return <pre className="mono prewrap" style={{ margin: 0, maxHeight: 360, overflow: 'auto' }}>{JSON.stringify(value, null, 2)}</pre>;
}
