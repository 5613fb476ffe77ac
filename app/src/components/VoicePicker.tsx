import type { SpeechOptions } from "../../../sdk/index.ts";

/** A labelled choice of the voice replies are read aloud in; "" is the deployment's default. */
export function VoicePicker({ id, options, value, onChange, disabled }: {
  id: string;
  options: SpeechOptions;
  value: string;
  onChange: (voice: string) => void;
  disabled?: boolean;
}) {
  return (
    <span className="voice-picker">
      <label htmlFor={id}>Voice</label>{" "}
      <select id={id} className="voice-select" value={value} disabled={disabled} onChange={(event) => onChange(event.target.value)}>
        <option value="">Default ({options.defaultVoice})</option>
        {options.voices.map((voice) => <option key={voice} value={voice}>{voice[0].toUpperCase() + voice.slice(1)}</option>)}
      </select>
    </span>
  );
}
