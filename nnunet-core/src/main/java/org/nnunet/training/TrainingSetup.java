package org.nnunet.training;

import ai.djl.ndarray.NDManager;
import org.nnunet.network.GenericUNet;
import org.nnunet.network.UNetArchitecture;
import org.nnunet.planning.Plans;

/**
 * Everything nnUNetTrainerV2.initialize wires up for one configuration of a plans file: the network (deep
 * supervision on, He-initialised in {@code modelManager}, hence on its device), DC+CE loss with v1's batch-Dice rule
 * wrapped in the deep-supervision weights, Nesterov SGD (lr 0.01, momentum 0.99, weight decay 3e-5), the poly
 * schedule, and the iteration harness. Close it to free the optimizer state; the network lives in the caller's manager.
 */
public record TrainingSetup(GenericUNet network, DeepSupervisionLoss loss, NesterovSgd optimizer, PolyLr schedule,
                            TrainingStep step) implements AutoCloseable {

    public static TrainingSetup forPlans(Plans plans, String configuration, NDManager modelManager) {
        UNetArchitecture arch = UNetArchitecture.fromPlans(plans, configuration);
        GenericUNet network = new GenericUNet(arch, true);
        network.initialize(modelManager);
        DiceCELoss dcCe = new DiceCELoss(DiceCELoss.useBatchDice(configuration, plans.numStages()));
        DeepSupervisionLoss loss = new DeepSupervisionLoss(dcCe, arch.numPools());
        NesterovSgd optimizer = NesterovSgd.nnUNetV2(modelManager);
        return new TrainingSetup(network, loss, optimizer, PolyLr.nnUNetV2(),
                new TrainingStep(network, loss, optimizer, modelManager));
    }

    /** v1's maybe_update_lr(epoch), called at the start of every epoch (and on resume). */
    public void startEpoch(int epoch) {
        optimizer.setLearningRate(schedule.lr(epoch));
    }

    @Override
    public void close() {
        optimizer.close();
    }
}
