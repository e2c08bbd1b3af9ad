/**
 * Voxel-based (sliding-window) GLCM feature maps with PyRadiomics voxel semantics; an exact
 * radius-independent fast path for linear features. Entry point: {@link io.osteo.radiomics.voxel.VoxelGlcmMaps}.
 */
package io.osteo.radiomics.voxel;
