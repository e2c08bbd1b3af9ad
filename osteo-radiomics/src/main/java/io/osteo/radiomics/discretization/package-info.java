/** Gray-level discretisation (fixed bin width / bin count) with PyRadiomics' exact bin edges. */
package io.osteo.radiomics.discretization;
