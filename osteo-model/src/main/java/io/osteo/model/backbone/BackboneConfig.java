package io.osteo.model.backbone;

import io.osteo.api.InvalidInputException;

/**
 * Architecture of a ResNet backbone (2D or 3D). Immutable and JSON-serialisable (it is part of
 * the model descriptor).
 *
 * <p>Immutable value; thread-safe.
 *
 * @param depth ResNet10/18/34
 * @param spatialDims 2 (slices, input [B,C,H,W]) or 3 (patches, input [B,C,D,H,W])
 * @param inChannels input channels: 1 for the CT image alone, 1+M for an image + M texture maps
 * @param baseWidth filters of the stem and the first stage; stages use 1x, 2x, 4x, 8x this
 * @param stemKernel kernel size of the stride-2 stem convolution (odd; 7 in the common recipe)
 * @param stemMaxPool whether a 3x3, stride-2 max pooling follows the stem (common recipe: yes;
 *     small patches usually do better without)
 */
public record BackboneConfig(
        ResNetDepth depth, int spatialDims, int inChannels, int baseWidth, int stemKernel, boolean stemMaxPool) {

    public BackboneConfig {
        if (depth == null) {
            throw new InvalidInputException("backbone depth is missing (RESNET10, RESNET18 or RESNET34)");
        }
        if (spatialDims != 2 && spatialDims != 3) {
            throw new InvalidInputException("backbone spatialDims must be 2 or 3, got " + spatialDims);
        }
        if (inChannels < 1) {
            throw new InvalidInputException("backbone inChannels must be >= 1, got " + inChannels);
        }
        if (baseWidth < 1) {
            throw new InvalidInputException("backbone baseWidth must be >= 1, got " + baseWidth);
        }
        if (stemKernel < 1 || stemKernel % 2 == 0) {
            throw new InvalidInputException("backbone stemKernel must be odd and >= 1, got " + stemKernel);
        }
    }

    /** Length of the global-average-pooled embedding: 8 x base width. */
    public int featureDim() {
        return 8 * baseWidth;
    }

    /** Same configuration with another number of input channels (e.g. for a texture-pool stack). */
    public BackboneConfig withInChannels(int channels) {
        return new BackboneConfig(depth, spatialDims, channels, baseWidth, stemKernel, stemMaxPool);
    }

    /** The paper's backbone: ResNet34, 3D, width 64, one input channel, 7^3 stem with max pooling. */
    public static BackboneConfig paper() {
        return builder().depth(ResNetDepth.RESNET34).spatialDims(3).baseWidth(64).stemMaxPool(true).build();
    }

    /** A backbone that trains on two CPU cores: ResNet10, 3D, width 8, 3^3 stem, no max pooling. */
    public static BackboneConfig cpuSmall() {
        return builder().depth(ResNetDepth.RESNET10).spatialDims(3).baseWidth(8).stemKernel(3).stemMaxPool(false).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder starting from ResNet18, 3D, 1 channel, width 16, 7-wide stem with max pooling. */
    public static final class Builder {
        private ResNetDepth depth = ResNetDepth.RESNET18;
        private int spatialDims = 3;
        private int inChannels = 1;
        private int baseWidth = 16;
        private int stemKernel = 7;
        private boolean stemMaxPool = true;

        private Builder() {}

        public Builder depth(ResNetDepth value) {
            this.depth = value;
            return this;
        }

        public Builder spatialDims(int value) {
            this.spatialDims = value;
            return this;
        }

        public Builder inChannels(int value) {
            this.inChannels = value;
            return this;
        }

        public Builder baseWidth(int value) {
            this.baseWidth = value;
            return this;
        }

        public Builder stemKernel(int value) {
            this.stemKernel = value;
            return this;
        }

        public Builder stemMaxPool(boolean value) {
            this.stemMaxPool = value;
            return this;
        }

        public BackboneConfig build() {
            return new BackboneConfig(depth, spatialDims, inChannels, baseWidth, stemKernel, stemMaxPool);
        }
    }
}
