package io.camelvan.camel;

import org.apache.qpid.protonj2.client.Message;

/** A message a consumer took, and how it settles it: once, with one of the three. */
public interface ReceivedMessage {

    Message<?> message() throws Exception;

    void accept() throws Exception;

    /** Hands it back: the router sends it to another consumer, or back to its sender, which sends it again. */
    void release() throws Exception;

    void reject(String condition, String description) throws Exception;
}
