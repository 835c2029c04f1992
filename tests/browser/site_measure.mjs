// The site's measurements are web/tests/measure.mjs (the issue names that file); this runs it.
//   node tests/browser/site_measure.mjs
import "../../web/tests/measure.mjs";
