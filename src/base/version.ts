// Kept in step with package.json by hand; a test checks they agree.
export const SCXRAY_VERSION = '0.1.0';
