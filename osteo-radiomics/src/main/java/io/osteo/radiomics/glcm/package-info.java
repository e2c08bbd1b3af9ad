/**
 * ROI-level gray level co-occurrence matrices and the 24 PyRadiomics GLCM features, conformant
 * with PyRadiomics (checked against its own baselines). Entry point: {@link io.osteo.radiomics.glcm.GlcmExtractor}.
 */
package io.osteo.radiomics.glcm;
