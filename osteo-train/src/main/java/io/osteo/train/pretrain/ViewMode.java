package io.osteo.train.pretrain;

/** How the two SwAV views of a vertebra are made. */
public enum ViewMode {
    /**
     * TP-SwAV: two different channels of the texture pool (original and texture maps), each with
     * a light random affine intensity jitter that keeps the texture (no cropping, no resampling).
     */
    TEXTURE_POOL,
    /**
     * Plain SwAV baseline: two random crops of the CT channel (scale 0.5-1 per axis), resized back
     * to the patch size by linear interpolation, randomly flipped and intensity-jittered.
     */
    RANDOM_CROP
}
