/**
 * Evaluation, nnU-Net v1.7.1 {@code evaluation/metrics.py} and {@code evaluator.py}: per-case, per-label metrics
 * with v1's NaN rules, the 95% Hausdorff distance (medpy's definition), {@code aggregate_scores} /
 * {@code summary.json} and {@code nnUNet_evaluate_folder}.
 */
package org.nnunet.evaluation;
