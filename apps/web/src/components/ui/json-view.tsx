/**
 * Shows user-supplied JSON (run params, lineage) as text: React escapes it, nothing is ever
 * interpreted as HTML.
 */
export function JsonView({ value, label }: { value: unknown; label: string }) {
  // Focusable so keyboard users can scroll a long document.
  return (
    <pre
      className="mono prewrap"
      style={{ margin: 0, maxHeight: 360, overflow: 'auto' }}
      tabIndex={0}
      aria-label={label}
    >
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}
