export declare function printSummary(title: string, rows: string[], wire: string[]): void;
