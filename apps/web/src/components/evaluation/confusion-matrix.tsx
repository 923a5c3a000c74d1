import styles from './confusion-matrix.module.css';

/**
 * Rows are true classes, columns predicted ones (as the API stores them). Cells are shaded by the
 * share of their row, so classes of different sizes compare; the counts stay readable text.
 */
export function ConfusionMatrix({
  matrix,
  labels,
  caption,
}: {
  matrix: number[][];
  labels: string[];
  caption: string;
}) {
  return (
    <div className="table-wrap">
      <table className={styles.matrix}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className={styles.corner}>
              true \ predicted
            </th>
            {labels.map((label, index) => (
              <th key={index} scope="col">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.map((row, rowIndex) => {
            const total = row.reduce((sum, count) => sum + count, 0);
            return (
              <tr key={rowIndex}>
                <th scope="row">{labels[rowIndex] ?? rowIndex}</th>
                {row.map((count, columnIndex) => {
                  const share = total > 0 ? count / total : 0;
                  // Dark text stays readable up to about 0.7 opacity, white text from about 0.88 (WCAG AA):
                  // the shade jumps across that band instead of passing through it.
                  const strong = share >= 0.85;
                  const opacity = strong ? 0.9 + (share - 0.85) * 0.6 : share * 0.82;
                  return (
                    <td
                      key={columnIndex}
                      className={rowIndex === columnIndex ? styles.diagonal : undefined}
                      style={{
                        background: `rgb(47 85 201 / ${opacity.toFixed(3)})`,
                        color: strong ? '#fff' : undefined,
                      }}
                      title={`${count} of ${total} (${Math.round(share * 100)}%)`}
                    >
                      {count}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
