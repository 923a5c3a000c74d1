/** The label part of a CSV dataset version's schema, as the import answers it. */
interface ImportedSchema {
  label?: { name?: string; classes?: unknown[] };
}

/**
 * When `datasets import` ran without --label, the line that says which column the server picked
 * (a column named "label", else the last one), so a wrong guess is seen before training on it.
 */
export function labelNotice(requestedLabel: string | undefined, schema: unknown): string | null {
  const label = (schema as ImportedSchema | null)?.label;
  if (requestedLabel || !label?.name) return null;
  const classes = label.classes?.length ?? 0;
  return `No --label given: using column '${label.name}' as the label (${classes} classes); pass --label <column> to pick another.`;
}
