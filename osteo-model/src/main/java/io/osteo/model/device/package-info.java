/**
 * Compute-device selection through DJL's engine (auto, cpu, gpuN, lists for data parallelism).
 */
package io.osteo.model.device;
