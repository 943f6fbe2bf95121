package org.nnunet.ensemble;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.nnunet.events.EventCodec;
import org.nnunet.events.FoldTrained;
import org.nnunet.events.ModelPublished;
import org.nnunet.events.Topics;
import org.nnunet.inference.ModelPackage;
import org.nnunet.service.TrainingPlan;
import org.nnunet.service.VersionLayout;
import org.nnunet.service.messaging.EventPublisher;
import org.nnunet.service.messaging.InboundEvents;
import org.nnunet.service.messaging.InboundEvents.Outcome;
import org.nnunet.storage.ObjectNotFoundException;
import org.nnunet.storage.ObjectStore;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code FoldTrained} -> (when every configuration x fold of the version's {@code training.json} is in) a model
 * package under {@code models/TASK/vN/} -> promotion decision -> {@code ModelPublished}.
 *
 * <p>State lives in the object store, not in memory: each received fold is recorded as
 * {@code versions/TASK/vN/ensemble/CONFIG/fold_F.json} (the trainer's {@code fold_F/DONE} counts too), so a restarted
 * replica sees the same picture. A version whose {@code model.json} exists is done: redelivered events are no-ops.
 * Promotion rewrites {@code models/TASK/PROMOTED} (one atomic put) only when the new model's {@code mean_dice} is
 * not below the promoted one's (configurable); a model that is not promoted is still stored and announced.
 */
@ApplicationScoped
public class EnsembleService {

    private static final Logger LOG = Logger.getLogger(EnsembleService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ObjectStore store;
    @Inject
    EnsembleConfig config;
    @Inject
    MeterRegistry meters;
    @Inject
    @Channel("model-published")
    MutinyEmitter<String> publishedOut;
    @Inject
    @Channel("dead-letter")
    MutinyEmitter<String> deadLetters;

    private final EventCodec codec = new EventCodec();
    private final EventPublisher publisher = new EventPublisher(codec);
    private InboundEvents inbound;
    /** Trained folds of each task's latest version, for the gauge (Micrometer keeps only weak references). */
    private final Map<String, AtomicInteger> foldsTrained = new ConcurrentHashMap<>();

    @PostConstruct
    void init() {
        inbound = new InboundEvents("ensemble-service", codec, deadLetters, meters);
    }

    @Incoming("fold-trained")
    @Blocking
    public void onFoldTrained(String payload) {
        inbound.handle(Topics.FOLD_TRAINED, payload, FoldTrained.class, this::collect);
    }

    private Outcome collect(FoldTrained event) throws IOException {
        VersionLayout version = new VersionLayout(event.task(), event.datasetVersion());
        String modelPrefix = ModelPackage.prefix(event.task(), event.datasetVersion());
        if (store.exists(modelPrefix + ModelPackage.MANIFEST)) {
            return Outcome.SKIPPED;
        }
        store.putBytes(received(version, event.configuration(), event.fold()), codec.serialize(event));
        TrainingPlan plan;
        try {
            plan = JSON.readValue(store.getBytes(version.trainingPlan()), TrainingPlan.class);
        } catch (ObjectNotFoundException e) {
            throw new IOException("no training plan " + store.location() + "/" + version.trainingPlan()
                    + " for " + event.task() + " " + event.datasetVersion() + ": cannot tell when all folds are in", e);
        }
        Map<String, Map<Integer, FoldTrained>> folds = new LinkedHashMap<>();
        int missing = 0;
        for (String configuration : plan.configurations()) {
            Map<Integer, FoldTrained> byFold = new TreeMap<>();
            for (int fold : plan.folds()) {
                Optional<FoldTrained> trained = trainedFold(version, configuration, fold);
                if (trained.isPresent()) {
                    byFold.put(fold, trained.get());
                } else {
                    missing++;
                }
            }
            folds.put(configuration, byFold);
        }
        int total = plan.configurations().size() * plan.folds().size();
        foldsTrained.computeIfAbsent(event.task(), t -> meters.gauge("nnunet.ensemble.folds.trained",
                List.of(Tag.of("task", t)), new AtomicInteger())).set(total - missing);
        if (missing > 0) {
            LOG.infof("%s %s: %d of %d folds trained", event.task(), event.datasetVersion(), total - missing, total);
            return Outcome.PROCESSED;
        }
        ModelPackage.Manifest manifest = new ModelBuilder(store, config).build(version, folds);
        boolean promoted = promoteIfBetter(manifest);
        ModelPublished published = new ModelPublished(event.task(), event.datasetVersion(), event.correlationId(),
                manifest.version(), modelPrefix);
        publisher.publish(publishedOut, EventPublisher.taskKey(published), published);
        LOG.infof("published model %s (%s)", modelPrefix, promoted ? "promoted" : "not promoted");
        return Outcome.PROCESSED;
    }

    private boolean promoteIfBetter(ModelPackage.Manifest manifest) throws IOException {
        double score = manifest.metrics().getOrDefault("mean_dice", Double.NaN);
        Optional<String> current = ModelPackage.promotedVersion(store, manifest.task());
        if (current.isPresent() && config.promoteOnlyIfBetter()) {
            double servedScore = ModelPackage.readManifest(store, manifest.task(), current.get()).metrics()
                    .getOrDefault("mean_dice", Double.NEGATIVE_INFINITY);
            if (!(score >= servedScore + config.minImprovement())) {
                LOG.infof("%s %s: mean Dice %.4f below the promoted %s (%.4f): stored, not promoted",
                        manifest.task(), manifest.version(), score, current.get(), servedScore);
                return false;
            }
        }
        ModelPackage.promote(store, manifest.task(), manifest.version());
        meters.counter("nnunet.ensemble.promotions", "task", manifest.task()).increment();
        return true;
    }

    private Optional<FoldTrained> trainedFold(VersionLayout version, String configuration, int fold)
            throws IOException {
        String own = received(version, configuration, fold);
        if (store.exists(own)) {
            return Optional.of(codec.deserialize(store.getBytes(own), FoldTrained.class));
        }
        String done = version.fold(configuration, fold) + "DONE";
        if (store.exists(done)) {
            JsonNode event = JSON.readTree(store.getBytes(done)).get("event");
            return Optional.of(codec.deserialize(JSON.writeValueAsBytes(event), FoldTrained.class));
        }
        return Optional.empty();
    }

    private static String received(VersionLayout version, String configuration, int fold) {
        return version.root() + "ensemble/" + configuration + "/fold_" + fold + ".json";
    }
}
