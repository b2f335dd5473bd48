/** Types for scan.cjs: the scanner-equivalent release checks. */

export interface LintError {
	file: string;
	line: number;
	rule: string | null;
	message: string;
}

export interface Analysis {
	/** Files linted, relative to the folder. */
	files: string[];
	/** Errors (severity 2) only, as the scanner fails on errors. */
	errors: LintError[];
	/** ESLint's stylish report. */
	formatted: string;
}

export interface PackedPackage {
	tarball: string;
	/** The extracted tarball (its `package/` folder). */
	dir: string;
	packedBytes: number;
	unpackedBytes: number;
	/** Paths inside the tarball, sorted. */
	files: string[];
	packageJson: Record<string, unknown>;
	cleanup(): void;
}

export declare const ROOT: string;
export declare const SIZE_BUDGET_BYTES: number;
export declare const SOURCE_FILE_PATTERNS: string[];
export declare const TARBALL_FILE_PATTERNS: string[];
export declare function analyze(dir: string, patterns: string[]): Promise<Analysis>;
export declare function analyzeSnippet(relativePath: string, source: string): Promise<Analysis>;
export declare function packAndExtract(): PackedPackage;
export declare function readRootPackageJson(): Record<string, unknown>;
export declare function readRootFile(relative: string): string;
export declare function rootFileExists(relative: string): boolean;
export declare function pluginVersions(): Record<string, string>;
