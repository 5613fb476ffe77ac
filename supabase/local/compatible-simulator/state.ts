/** The simulated Compatibility API's world: recorded requests, retired models, armed faults. */
export interface CompatibleFault {
  status: number;
  message?: string;
  remaining: number;
}

export interface CompatibleSimState {
  /** Chat completions bodies that passed auth, in order (refused ones too): the newest `RECORDED_LIMIT` (../recorded.ts). */
  requests: Array<Record<string, unknown>>;
  retiredModels: Set<string>;
  faults: CompatibleFault[];
  /** Armed stream breaks, consumed one per streamed answer. */
  streamBreaks: number;
  takeStreamBreak(): boolean;
  /** Forgets everything (between tests). */
  clear(): void;
}

export function createCompatibleState(): CompatibleSimState {
  const state: CompatibleSimState = {
    requests: [],
    retiredModels: new Set(),
    faults: [],
    streamBreaks: 0,
    takeStreamBreak: () => state.streamBreaks > 0 && state.streamBreaks-- > 0,
    clear() {
      state.requests.length = 0;
      state.retiredModels.clear();
      state.faults.length = 0;
      state.streamBreaks = 0;
    },
  };
  return state;
}
