/** "Only new creators": the search skips creators the campaign already has (they do not count toward the target). */
export function OnlyNewSwitch({ checked, onChange }: { checked: boolean; onChange: (on: boolean) => void }) {
  return (
    <label className="inline">
      <input type="checkbox" role="switch" name="onlyNew" checked={checked} aria-checked={checked} onChange={(e) => onChange(e.target.checked)} />
      Only new creators <span className="muted">— skip creators this campaign already has</span>
    </label>
  );
}
