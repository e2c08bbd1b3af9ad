/**
 * Data augmentation within physical bounds ({@code shared/specs/reproduction-study.md}, "Training
 * recipe"): geometric transforms that a vertebra patch can undergo without changing its bone
 * (flips and 90-degree rotations in the axial plane, shifts of a few voxels), applied identically
 * to the CT channel and its texture maps, and an intensity change of the CT channel limited to
 * the scanner calibration range (+/-30 HU offset, +/-8% slope). {@link io.osteo.train.augment.Augmentation}
 * works on raw physical units (HU, raw texture maps) before any normalisation.
 */
package io.osteo.train.augment;
