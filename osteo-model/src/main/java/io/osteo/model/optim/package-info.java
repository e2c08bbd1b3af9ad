/**
 * Optimisation helpers for DJL trainers: AdamW without decay on biases and batch norm, warm-up +
 * cosine learning-rate schedule.
 */
package io.osteo.model.optim;
