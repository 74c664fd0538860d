// The Alpine CSP build ships no types; this is the part of its API the UI uses.
declare module '@alpinejs/csp' {
  interface AlpineMagics {
    $el: HTMLElement;
    $refs: Record<string, HTMLElement>;
    $event: Event;
    $nextTick(cb?: () => void): Promise<void>;
    $watch(name: string, cb: (value: unknown) => void): void;
    $dispatch(name: string, detail?: unknown): void;
  }
  interface AlpineStatic {
    data<T extends object>(name: string, factory: () => T & ThisType<T & AlpineMagics>): void;
    store<T = any>(name: string): T;
    store<T>(name: string, value: T): void;
    reactive<T extends object>(value: T): T;
    nextTick(cb?: () => void): Promise<void>;
    start(): void;
  }
  const Alpine: AlpineStatic;
  export default Alpine;
  export type { AlpineMagics };
}
