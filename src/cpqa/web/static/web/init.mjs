// Kept out of the page so a Content-Security-Policy need not allow inline scripts.
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
