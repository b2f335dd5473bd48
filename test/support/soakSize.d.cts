export declare const soakItems: number;
export declare function rssMiB(): number;
export declare function report(line: string): void;
