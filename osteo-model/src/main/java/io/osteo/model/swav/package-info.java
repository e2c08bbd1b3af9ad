/**
 * TP-SwAV self-supervision: projection head with L2-normalised prototypes, log-domain Sinkhorn-
 * Knopp codes and the swapped-prediction loss with an optional feature queue.
 */
package io.osteo.model.swav;
