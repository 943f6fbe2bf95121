package org.nnunet.preprocess;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.nnunet.cropping.CroppedDataFolder;
import org.nnunet.events.EventCodec;
import org.nnunet.events.FoldTrained;
import org.nnunet.events.PlansCreated;
import org.nnunet.events.PreprocessingCompleted;
import org.nnunet.events.Topics;
import org.nnunet.events.TrainingRequested;
import org.nnunet.planning.Plans;
import org.nnunet.planning.PlansIO;
import org.nnunet.preprocessing.PlansPreprocessing;
import org.nnunet.preprocessing.PreprocessedDataFolder;
import org.nnunet.service.StoreFolders;
import org.nnunet.service.TrainingPlan;
import org.nnunet.service.VersionLayout;
import org.nnunet.service.messaging.EventPublisher;
import org.nnunet.service.messaging.InboundEvents;
import org.nnunet.service.messaging.InboundEvents.Outcome;
import org.nnunet.storage.ObjectStore;
import org.nnunet.training.CrossValidationSplits;
import org.nnunet.training.TrainerSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code PlansCreated} -> nnU-Net v1 preprocessing ({@link PlansPreprocessing}) of every plans file on a local copy of
 * the version's cropped data, the stage folders, gt_segmentations and the fixed cross-validation splits uploaded
 * under {@code versions/TASK/vN/preprocessed/} -> one {@code PreprocessingCompleted} per configuration, then one
 * {@code TrainingRequested} per configuration x fold, keyed by fold so each fold's events stay ordered.
 *
 * <p>The splits are made here, once per version, so every trainer replica uses the same ones. Every configuration's
 * folds are requested at once, except 3d_cascade_fullres: it trains on the predictions every 3d_lowres fold makes of
 * its held-out cases (v1 {@code pred_next_stage}), so its folds are requested once {@code FoldTrained} arrived for
 * every 3d_lowres fold of the version (once per version, also when events are redelivered).
 */
@ApplicationScoped
public class PreprocessService {

    private static final Logger LOG = Logger.getLogger(PreprocessService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ObjectStore store;
    @Inject
    PreprocessConfig config;
    @Inject
    MeterRegistry meters;
    @Inject
    @Channel("preprocessing-completed")
    MutinyEmitter<String> completedOut;
    @Inject
    @Channel("training-requested")
    MutinyEmitter<String> trainingOut;
    @Inject
    @Channel("dead-letter")
    MutinyEmitter<String> deadLetters;

    static final String LOWRES = "3d_lowres";
    static final String CASCADE = TrainerSettings.CASCADE_CONFIGURATION;

    private final EventCodec codec = new EventCodec();
    private final EventPublisher publisher = new EventPublisher(codec);
    private InboundEvents inbound;

    @PostConstruct
    void init() {
        inbound = new InboundEvents("preprocess-service", codec, deadLetters, meters);
    }

    @Incoming("plans-created")
    @Blocking
    public void onPlansCreated(String payload) {
        inbound.handle(Topics.PLANS_CREATED, payload, PlansCreated.class, this::preprocess);
    }

    @Incoming("fold-trained")
    @Blocking
    public void onFoldTrained(String payload) {
        inbound.handle(Topics.FOLD_TRAINED, payload, FoldTrained.class, this::requestCascadeWhenLowresDone);
    }

    private Outcome preprocess(PlansCreated event) throws IOException {
        VersionLayout version = new VersionLayout(event.task(), event.datasetVersion());
        String marker = version.root() + "preprocessing-done.json";
        if (store.exists(marker)) {
            return Outcome.SKIPPED;
        }
        long t0 = System.nanoTime();
        Path work = Files.createTempDirectory("nnunet-preprocess-" + event.task() + "-" + event.datasetVersion());
        try {
            Path cropped = work.resolve("cropped");
            Path preprocessed = work.resolve("preprocessed");
            StoreFolders.download(store, version.cropped(), cropped);
            StoreFolders.download(store, version.preprocessed(), preprocessed);
            CroppedDataFolder croppedFolder = new CroppedDataFolder(cropped);
            for (String plansKey : event.plansKeys()) {
                Plans plans = PlansIO.read(local(preprocessed, version.preprocessed(), plansKey));
                LOG.infof("preprocessing %s with %s", event.task(), plansKey);
                new PlansPreprocessing().run(plans, croppedFolder, preprocessed, config.threads(), config.threads());
            }
            CrossValidationSplits.loadOrCreate(preprocessed, croppedFolder.caseIds());
            StoreFolders.upload(store, preprocessed, version.preprocessed());

            for (String configuration : event.configurations()) {
                Plans plans = PlansIO.read(preprocessed.resolve(
                        "2d".equals(configuration) ? PlansIO.PLANS_2D : PlansIO.PLANS_3D));
                int stage = plans.stageIndexFor(configuration);
                Path stageDir = PreprocessedDataFolder.stage(preprocessed, plans.dataIdentifier(), stage).dir();
                PreprocessingCompleted done = new PreprocessingCompleted(event.task(), event.datasetVersion(),
                        event.correlationId(), configuration,
                        version.preprocessed() + stageDir.getFileName() + "/", countCases(stageDir));
                publisher.publish(completedOut, EventPublisher.taskKey(done), done);
            }
            TrainingPlan plan = new TrainingPlan(event.task(), event.datasetVersion(), event.configurations(),
                    config.folds());
            store.putBytes(version.trainingPlan(), JSON.writeValueAsBytes(plan));
            for (String configuration : event.configurations()) {
                if (!configuration.equals(CASCADE)) {
                    requestFolds(event.task(), event.datasetVersion(), event.correlationId(), configuration,
                            config.folds());
                }
            }
            store.putBytes(marker, JSON.writeValueAsBytes(plan));
            meters.timer("nnunet.preprocessing.duration", "task", event.task())
                    .record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
            return Outcome.PROCESSED;
        } finally {
            StoreFolders.deleteQuietly(work);
        }
    }

    private void requestFolds(String task, String datasetVersion, String correlationId, String configuration,
                              List<Integer> folds) {
        for (int fold : folds) {
            TrainingRequested request = new TrainingRequested(task, datasetVersion, correlationId, configuration, fold);
            publisher.publish(trainingOut, EventPublisher.foldKey(task, datasetVersion, configuration, fold), request);
        }
    }

    /**
     * A 3d_lowres fold is trained: remember it ({@code cascade/lowres_fold_F}, so a fold whose DONE marker is not
     * written yet still counts), and when every 3d_lowres fold of the version's training plan is in and the plan
     * has 3d_cascade_fullres, request its folds once ({@code cascade/requested.json}).
     */
    private Outcome requestCascadeWhenLowresDone(FoldTrained event) throws IOException {
        if (!LOWRES.equals(event.configuration())) {
            return Outcome.SKIPPED;
        }
        VersionLayout version = new VersionLayout(event.task(), event.datasetVersion());
        String requested = version.root() + "cascade/requested.json";
        if (store.exists(requested) || !store.exists(version.trainingPlan())) {
            return Outcome.SKIPPED;
        }
        TrainingPlan plan = JSON.readValue(store.getBytes(version.trainingPlan()), TrainingPlan.class);
        if (!plan.configurations().contains(CASCADE)) {
            return Outcome.SKIPPED;
        }
        store.putBytes(lowresReceived(version, event.fold()), codec.serialize(event));
        for (int fold : plan.folds()) {
            if (!store.exists(lowresReceived(version, fold))) {
                LOG.infof("%s %s: 3d_lowres fold %d trained, waiting for the other folds before %s", event.task(),
                        event.datasetVersion(), event.fold(), CASCADE);
                return Outcome.PROCESSED;
            }
        }
        LOG.infof("%s %s: all 3d_lowres folds trained, requesting %s folds %s", event.task(),
                event.datasetVersion(), CASCADE, plan.folds());
        requestFolds(event.task(), event.datasetVersion(), event.correlationId(), CASCADE, plan.folds());
        store.putBytes(requested, JSON.writeValueAsBytes(plan));
        return Outcome.PROCESSED;
    }

    private static String lowresReceived(VersionLayout version, int fold) {
        return version.root() + "cascade/lowres_fold_" + fold;
    }

    private static Path local(Path dir, String prefix, String key) throws IOException {
        if (!key.startsWith(prefix)) {
            throw new IOException("plans key " + key + " is not under the version's preprocessed prefix " + prefix);
        }
        return dir.resolve(key.substring(prefix.length()));
    }

    private static int countCases(Path stageDir) throws IOException {
        try (Stream<Path> files = Files.list(stageDir)) {
            return (int) files.filter(p -> p.getFileName().toString().endsWith(".npy")).count();
        }
    }
}
