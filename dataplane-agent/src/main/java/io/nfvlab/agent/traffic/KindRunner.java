package io.nfvlab.agent.traffic;

import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.node.TrafficJob.JobPair;
import io.nfvlab.api.node.TrafficJobResult;
import io.nfvlab.api.traffic.kinds.TrafficKinds;

import java.util.List;

/**
 * Runs the jobs of one traffic kind on this node. Blocking: the dispatcher calls it on a job thread of its own and
 * fills in id, runKey, times, and phase Succeeded when the result leaves it unset. A job that cannot run throws
 * {@link TrafficJobException} (its message becomes the job's); an interrupt means the job was stopped.
 */
public interface KindRunner {
    /** Role client: run the traffic and measure. */
    TrafficJobResult run(TrafficJob job, JobContext context);

    /** Role server: keep servers up in this node's destination hosts for clients on other nodes, until interrupted. */
    default TrafficJobResult serve(TrafficJob job, JobContext context) {
        throw new TrafficJobException("type " + job.getType().wireName() + " has no server role");
    }

    /** The job's pairs (an all-pairs job's expanded); a client job of a kind that runs between hosts has at least one. */
    static List<JobPair> pairsOf(TrafficJob job) {
        List<JobPair> pairs = job.expandedPairs();
        if (pairs.isEmpty()) {
            throw new TrafficJobException("job " + job.getId() + " has no pairs");
        }
        return pairs;
    }

    /** Requires the programs the job's kind runs. */
    static void requireTools(TrafficJob job) {
        Programs.require(TrafficKinds.of(job.getType()).tools(job.parametersOrEmpty()));
    }
}
