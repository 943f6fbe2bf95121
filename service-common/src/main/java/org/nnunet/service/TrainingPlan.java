package org.nnunet.service;

import java.util.List;

/**
 * {@code versions/TASK/vN/training.json} ({@link VersionLayout#trainingPlan()}): the configurations and folds the
 * preprocess service requested for a dataset version; the ensemble service publishes a model once every one of them
 * has a trained fold.
 */
public record TrainingPlan(String task, String datasetVersion, List<String> configurations, List<Integer> folds) {
}
