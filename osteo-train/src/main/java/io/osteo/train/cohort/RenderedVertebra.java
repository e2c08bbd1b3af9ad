package io.osteo.train.cohort;

import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;

/**
 * The CT patch of a synthetic vertebra and its vertebral-body mask.
 *
 * @param image CT patch in HU, integer-valued (as it will be stored in int16), clamped to -1024..3071
 * @param mask vertebral body (cortex and trabecular bone) = 1, elsewhere 0, same grid as the image
 */
public record RenderedVertebra(Volume image, LabelMap mask) {}
