// Copies icons next to the compiled code, where the `file:` references in nodes and credentials
// resolve: the shared top-level icons/ folder (referenced as ../icons or ../../icons) and any
// image kept beside a node or credential.
const { src, dest, parallel } = require('gulp');

function sharedIcons() {
	return src('icons/*.{png,svg}', { encoding: false }).pipe(dest('dist/icons'));
}

function localIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false, allowEmpty: true }).pipe(
		dest('dist'),
	);
}

exports['build:icons'] = parallel(sharedIcons, localIcons);
