/** Types for form.js: the simulator's own strict form decoder (independent of the node's encoder). */
export declare const DISPOSITION_KEYS: readonly string[];
export declare function parseForm(raw: string): { form: Array<[string, string]>; problems: string[] };
export declare function checkKeys(form: Array<[string, string]>, keys: readonly string[], ordered: boolean): string[];
