import type { GroupParticipant, GroupStrategy } from "../hooks/useGroupChat.ts";

const STRATEGIES: { value: GroupStrategy; label: string; hint: string }[] = [
  { value: "natural", label: "Natural", hint: "whoever you name, then whoever has something to say" },
  { value: "list", label: "In turn", hint: "everyone, in the order they joined" },
  { value: "manual", label: "I choose", hint: "only the persona you pick" },
];

/** Who answers the next message: the strategy, and in manual mode the next speaker. */
export function StrategyPicker(props: {
  strategy: GroupStrategy;
  onStrategy: (strategy: GroupStrategy) => void;
  participants: GroupParticipant[];
  speaker?: string;
  onSpeaker: (modelId: string) => void;
}) {
  const chosen = STRATEGIES.find((option) => option.value === props.strategy)!;
  return (
    <div className="strategy-picker">
      <fieldset className="segmented-radios">
        <legend>Who answers</legend>
        {STRATEGIES.map((option) => (
          <label key={option.value} className={option.value === props.strategy ? "selected" : undefined}>
            <input
              type="radio"
              name="strategy"
              value={option.value}
              checked={option.value === props.strategy}
              onChange={() => props.onStrategy(option.value)}
            />
            {option.label}
          </label>
        ))}
      </fieldset>
      {props.strategy === "manual" && props.participants.length > 0
        ? (
          <label className="field inline speaker-field">
            <span>Next speaker</span>
            <select value={props.speaker ?? props.participants[0].modelId} onChange={(event) => props.onSpeaker(event.target.value)}>
              {props.participants.map((participant) => (
                <option key={participant.modelId} value={participant.modelId}>{participant.name}</option>
              ))}
            </select>
          </label>
        )
        : <p className="hint">{chosen.hint}</p>}
    </div>
  );
}
