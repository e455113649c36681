export function Progress({ value, label }: { value: number; label: string }) {
  return (
    <span class="progress">
      <progress max={100} value={value} aria-label={label} />
      <span class="progress-text">{value} %</span>
    </span>
  );
}
