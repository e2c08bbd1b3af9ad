package io.osteo.model.screener;

import io.osteo.api.InvalidInputException;

/**
 * Network input for a batch of vertebrae: the channels of each vertebra's texture pool
 * ({original, TF1..TFM}) on the model's patch grid, and the DXA device id in whose scale the
 * network should express BMD.
 *
 * @param channels per vertebra, the channels concatenated channel-major, each x-fastest
 *     (length = channelCount * depth * height * width)
 * @param shape per-vertebra tensor shape: {C, D, H, W} for a 3D network, {C, H, W} for a 2D one
 * @param deviceId embedding index of the report device ({@code DxaDevice.embeddingIndex()})
 */
record VertebraBatch(float[][] channels, long[] shape, int deviceId) {
    VertebraBatch {
        long per = 1;
        for (long s : shape) {
            per *= s;
        }
        for (float[] c : channels) {
            if (c.length != per) {
                throw new InvalidInputException("vertebra tensor has " + c.length + " values, the model expects " + per);
            }
        }
    }

    int size() {
        return channels.length;
    }
}
