package io.osteo.train.pretrain;

import io.osteo.api.InvalidInputException;
import java.util.Arrays;

/**
 * One vertebra's texture pool as network input: channel 0 is the normalised CT patch, channels
 * 1..M the normalised texture maps, all on the same grid (x fastest; shape [D, H, W] for 3D or
 * [H, W] for 2D). Values are dimensionless (normalised); arrays are not copied, treat as immutable.
 *
 * @param shape spatial shape, slowest axis first
 * @param channels one flattened array per channel, each of length prod(shape), finite
 */
public record PoolPatch(int[] shape, float[][] channels) {

    public PoolPatch {
        if (shape == null || shape.length < 2 || shape.length > 3) {
            throw new InvalidInputException("pool patch shape must have 2 or 3 axes, got " + Arrays.toString(shape));
        }
        long n = 1;
        for (int s : shape) {
            if (s < 1) throw new InvalidInputException("pool patch shape " + Arrays.toString(shape) + " has an empty axis");
            n *= s;
        }
        if (channels == null || channels.length == 0) {
            throw new InvalidInputException("pool patch has no channels");
        }
        for (int c = 0; c < channels.length; c++) {
            if (channels[c] == null || channels[c].length != n) {
                throw new InvalidInputException("pool patch channel " + c + " has "
                        + (channels[c] == null ? "no" : String.valueOf(channels[c].length)) + " values, expected " + n);
            }
        }
    }

    /** Voxels per channel. */
    public int voxels() {
        return channels[0].length;
    }
}
