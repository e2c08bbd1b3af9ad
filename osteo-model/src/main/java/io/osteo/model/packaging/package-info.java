/**
 * Model directories (DJL parameters + JSON descriptor), validated loading, and DJL
 * Translator/Criteria integration for per-vertebra predictions.
 */
package io.osteo.model.packaging;
