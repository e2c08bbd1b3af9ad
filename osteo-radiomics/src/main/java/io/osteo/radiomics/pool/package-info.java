/**
 * The texture pool {original, TF1..TFM} of the paper: maps on the image grid, strided
 * computation with trilinear interpolation, recorded normalisation, fill value and an on-disk
 * cache. Entry point: {@link io.osteo.radiomics.pool.TexturePool}.
 */
package io.osteo.radiomics.pool;
