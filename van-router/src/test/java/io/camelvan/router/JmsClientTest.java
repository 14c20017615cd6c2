package io.camelvan.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The router with qpid-jms, a real JMS 2 client, over real sockets. */
class JmsClientTest {

    private static Router router;
    private static JmsConnectionFactory factory;

    @BeforeAll
    static void start() {
        router = TestRouters.start("jms", "addresses:\n  - {prefix: events., distribution: multicast}\n");
        factory = new JmsConnectionFactory(TestRouters.amqpUrl(router));
    }

    @AfterAll
    static void stop() {
        router.close();
    }

    @Test
    void queueSendAndReceive() throws Exception {
        try (Connection connection = factory.createConnection()) {
            connection.start();
            // the router settles end to end: a synchronous send returns once the consumer has the
            // message, so the consumer must be taking messages while the producer sends
            Session consumerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            consumerSession.createConsumer(consumerSession.createQueue("orders")).setMessageListener(m -> {
                try {
                    received.add(((TextMessage) m).getText());
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("orders"));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT); // synchronous, end-to-end acknowledged
            for (int i = 0; i < 100; i++) {
                producer.send(session.createTextMessage("order " + i));
            }
            for (int i = 0; i < 100; i++) {
                assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("order " + i);
            }
            assertThat(received.poll(200, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void requestReplyOverATemporaryQueue() throws JMSException {
        try (Connection server = factory.createConnection(); Connection client = factory.createConnection()) {
            server.start();
            client.start();
            Session serverSession = server.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer requests = serverSession.createConsumer(serverSession.createQueue("prices"));
            MessageProducer replies = serverSession.createProducer(null);
            // a persistent (synchronous) reply would wait for the requester to accept it while the
            // requester still waits for this listener to accept the request: end-to-end settlement
            replies.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            requests.setMessageListener(request -> {
                try {
                    TextMessage reply = serverSession.createTextMessage("price of " + ((TextMessage) request).getText());
                    reply.setJMSCorrelationID(request.getJMSMessageID());
                    replies.send(request.getJMSReplyTo(), reply);
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });

            Session session = client.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replyTo = session.createTemporaryQueue();
            assertThat(replyTo.getQueueName()).startsWith("_van/jms/temp/");
            MessageConsumer replyConsumer = session.createConsumer(replyTo);
            MessageProducer producer = session.createProducer(session.createQueue("prices"));
            for (String item : new String[] {"tea", "coffee", "cocoa"}) {
                TextMessage request = session.createTextMessage(item);
                request.setJMSReplyTo(replyTo);
                producer.send(request);
                Message reply = replyConsumer.receive(5000);
                assertThat(reply).isNotNull();
                assertThat(((TextMessage) reply).getText()).isEqualTo("price of " + item);
                assertThat(reply.getJMSCorrelationID()).isEqualTo(request.getJMSMessageID());
            }
        }
    }

    @Test
    void topicOnAMulticastPrefixCopiesToEverySubscriber() throws JMSException {
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic("events.prices");
            MessageConsumer first = session.createConsumer(topic);
            MessageConsumer second = session.createConsumer(topic);
            MessageConsumer third = session.createConsumer(topic);
            MessageProducer producer = session.createProducer(topic);
            for (int i = 0; i < 20; i++) {
                producer.send(session.createTextMessage("tick " + i));
            }
            for (MessageConsumer c : new MessageConsumer[] {first, second, third}) {
                Set<String> got = new HashSet<>();
                for (int i = 0; i < 20; i++) {
                    TextMessage m = (TextMessage) c.receive(5000);
                    assertThat(m).isNotNull();
                    got.add(m.getText());
                }
                assertThat(got).hasSize(20);
                assertThat(c.receive(100)).as("exactly one copy each").isNull();
            }
        }
    }

    @Test
    void closingASessionIsAnsweredAndItsLinksGo() throws Exception {
        JmsConnectionFactory quick = new JmsConnectionFactory(TestRouters.amqpUrl(router) + "?jms.closeTimeout=5000");
        try (Connection connection = quick.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createQueue("short-lived"));
            session.createConsumer(session.createQueue("short-lived"));
            session.close(); // fails after 5 s (closeTimeout) unless the router answers the end
        }
        assertThat(router.core().addresses().lookup("short-lived")).as("its links went with the session").isNull();
    }

    @Test
    void aPullConsumerWithoutPrefetchDrainsItsCreditWhenNothingIsThere() throws Exception {
        JmsConnectionFactory pulling = new JmsConnectionFactory(TestRouters.amqpUrl(router) + "?jms.prefetchPolicy.all=0");
        try (Connection connection = pulling.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue("pull"));
            // with no prefetch, each receive grants credit and drains it: the router must answer the drain
            assertThat(consumer.receive(200)).isNull();
            assertThat(consumer.receiveNoWait()).isNull();
            MessageProducer producer = session.createProducer(session.createQueue("pull"));
            producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            producer.send(session.createTextMessage("pulled"));
            TextMessage m = (TextMessage) consumer.receive(5000);
            assertThat(m.getText()).isEqualTo("pulled");
        }
    }

    @Test
    void sendToQueueWithoutConsumerWaitsForCreditThenFlows() throws Exception {
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Destination queue = session.createQueue("late");
            MessageProducer producer = session.createProducer(queue);
            Thread sender = new Thread(() -> {
                try {
                    producer.send(session.createTextMessage("hello"));
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            sender.start();
            sender.join(300);
            assertThat(sender.isAlive()).as("no credit without a consumer").isTrue();
            Session consumerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = consumerSession.createConsumer(consumerSession.createQueue("late"));
            TextMessage m = (TextMessage) consumer.receive(5000);
            assertThat(m.getText()).isEqualTo("hello");
            sender.join(5000);
            assertThat(sender.isAlive()).isFalse();
        }
    }
}
