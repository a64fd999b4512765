// Removes dist so a renamed or deleted node never lingers in the package.
require('fs').rmSync(require('path').join(__dirname, '..', 'dist'), { recursive: true, force: true });
