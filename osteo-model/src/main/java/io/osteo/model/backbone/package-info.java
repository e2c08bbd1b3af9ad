/**
 * ResNet 10/18/34 backbones in 2D and 3D (basic blocks, He init) producing a global-average-
 * pooled embedding.
 */
package io.osteo.model.backbone;
