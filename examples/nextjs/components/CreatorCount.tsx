/** The blueprint's creator-count slider: 100 to 1000 in steps of 100. */
export function CreatorCount({ value, onChange }: { value: number; onChange: (n: number) => void }) {
  return (
    <label>
      How many creators? <span data-testid="creator-count">{value}</span>
      <input type="range" name="targetResults" min={100} max={1000} step={100} value={value} onChange={(e) => onChange(Number(e.target.value))} />
    </label>
  );
}
