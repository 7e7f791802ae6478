package io.nfvlab.agent.traffic;

/** A job could not run (missing tool, server would not start, bad input); its message becomes the job's message. */
public class TrafficJobException extends RuntimeException {
    public TrafficJobException(String message) {
        super(message);
    }
}
