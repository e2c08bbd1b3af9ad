/**
 * The reproduction study's claims table: pre-declared {@link io.osteo.train.eval.claims.Claim}s
 * judged on paired, seed-averaged differences of vertebra AUC with patient-cluster bootstrap
 * intervals ({@link io.osteo.train.eval.claims.ClaimsAnalysis}), per-device MoE gate weights, and
 * Markdown/CSV writers ({@link io.osteo.train.eval.claims.ClaimsWriter}).
 */
package io.osteo.train.eval.claims;
