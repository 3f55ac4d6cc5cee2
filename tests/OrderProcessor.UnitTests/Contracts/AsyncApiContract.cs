using System.Text.Json.Nodes;
using OrderProcessor.Audit;
using OrderProcessor.Contracts;
using OrderProcessor.Outbox;

namespace OrderProcessor.UnitTests.Contracts;

/// <summary>
/// Writes <c>contracts/asyncapi.json</c> (AsyncAPI 3.0) from the same contract types as <see cref="ContractSchemas"/>:
/// one fanout exchange per message type as MassTransit declares it, the processor's command queues bound to them, the
/// MassTransit JSON envelope around every message, the AMQP properties and headers, and the de-duplication rule.
/// </summary>
internal static class AsyncApiContract
{
    public const string FileName = "asyncapi.json";

    private const string ContentType = "application/vnd.masstransit+json";

    /// <summary>Where <c>orders replay</c> sends by default (its <c>--to-exchange</c>).</summary>
    private const string AuditExchange = "orderprocessor.audit";

    /// <summary>Command → the processor's queue (MassTransit's kebab-case endpoint name, prefixed by RabbitMq:EndpointPrefix when set).</summary>
    private static readonly Dictionary<Type, (string Queue, string Answer)> CommandQueues = new()
    {
        [typeof(PlaceOrder)] = ("place-order", "OrderAccepted, then the order's events; or OrderRejected"),
        [typeof(CancelOrder)] = ("cancel-order", "OrderCancelled, or OrderStatusChanged (PendingCancel) then OrderCancelled or OrderFilled; or OrderRejected"),
        [typeof(ModifyOrder)] = ("modify-order", "OrderModified; or OrderRejected (the order unaffected)"),
        [typeof(MarginCheck)] = ("margin-check", "MarginCheckCompleted or OrderRejected, published and, for a request (responseAddress and requestId set), sent to the requester"),
        [typeof(HaltTrading)] = ("halt-trading", "TradingHalted (also sent to the requester when requested); or OrderRejected (UpstreamNotAuthorized) when the upstream may not halt trading"),
        [typeof(ResumeTrading)] = ("resume-trading", "TradingResumed (also sent to the requester when requested); or OrderRejected (UpstreamNotAuthorized) when the upstream may not resume trading"),
    };

    public static string Write() => ContractSchemas.Write(Generate());

    public static JsonObject Generate()
    {
        var channels = new JsonObject();
        var operations = new JsonObject();
        var messages = new JsonObject();
        foreach (var command in ContractSchemas.Commands)
        {
            var (queue, answer) = CommandQueues[command];
            channels[command.Name] = Exchange(command, $"Commands of type {command.Name}: publish here. Answered with {answer}.");
            channels[queue] = Queue(queue, command, $"The processor's queue of {command.Name} commands, bound to the exchange {Exchange(command)}. A message that cannot be answered (not JSON, no readable {IdOf(command)}) is moved to {queue}_error; one of a message type the endpoint does not know to {queue}_skipped.");
            channels[queue + "_error"] = Queue(queue + "_error", null, $"Where MassTransit moves a {command.Name} that faulted unanswered: not a JSON envelope, or its {IdOf(command)} cannot be read. Nothing else of the command was done.");
            messages[command.Name] = Message(command, isCommand: true);
            var send = new JsonObject
            {
                ["action"] = "send",
                ["channel"] = ChannelRef(command.Name),
                ["messages"] = new JsonArray(MessageRef(command.Name, command.Name)),
                ["summary"] = $"Publish a {command.Name}.",
                ["bindings"] = new JsonObject
                {
                    ["amqp"] = new JsonObject { ["deliveryMode"] = 2, ["mandatory"] = false, ["bindingVersion"] = "0.3.0" },
                },
            };
            if (command == typeof(MarginCheck))
            {
                send["reply"] = new JsonObject
                {
                    ["address"] = new JsonObject { ["location"] = "$message.payload#/responseAddress", ["description"] = "The requester's own address (MassTransit: its bus's temporary exchange/queue)." },
                    ["messages"] = new JsonArray(MessageRef("MarginCheck", nameof(MarginCheckCompleted)), MessageRef("MarginCheck", nameof(OrderRejected))),
                };
                send["channel"] = ChannelRef(command.Name);
                channels[command.Name]!["messages"]!["MarginCheckCompleted"] = new JsonObject { ["$ref"] = "#/components/messages/MarginCheckCompleted" };
                channels[command.Name]!["messages"]!["OrderRejected"] = new JsonObject { ["$ref"] = "#/components/messages/OrderRejected" };
            }

            operations["send" + command.Name] = send;
            operations["consume" + command.Name] = new JsonObject
            {
                ["action"] = "receive",
                ["channel"] = ChannelRef(queue),
                ["messages"] = new JsonArray(MessageRef(queue, command.Name)),
                ["summary"] = $"The processor consumes {command.Name} from {queue}.",
            };
        }

        foreach (var @event in ContractSchemas.Events)
        {
            var description = @event == typeof(IOrderEvent)
                ? $"Every order event, also published as this interface type: each event type's exchange is bound to this one (exchange-to-exchange). Bind one queue here to receive them all."
                : $"{@event.Name} events: bind your own queue to this exchange to receive them. The exchange is also bound to {Exchange(typeof(IOrderEvent))}.";
            channels[@event.Name] = Exchange(@event, description);
            messages[@event.Name] = Message(@event, isCommand: false);
            operations["receive" + @event.Name] = new JsonObject
            {
                ["action"] = "receive",
                ["channel"] = ChannelRef(@event.Name),
                ["messages"] = new JsonArray(MessageRef(@event.Name, @event.Name)),
                ["summary"] = $"Subscribe to {@event.Name}.",
            };
        }

        channels["audit"] = new JsonObject
        {
            ["address"] = AuditExchange,
            ["description"] = "`orders replay --to-exchange` sends stored events here (their original message ids, header OrderProcessor-Replay: true); never to the event type exchanges.",
            ["bindings"] = new JsonObject { ["amqp"] = ExchangeBinding(AuditExchange) },
        };

        return new JsonObject
        {
            ["asyncapi"] = "3.0.0",
            ["info"] = new JsonObject
            {
                ["title"] = "OrderProcessor",
                ["version"] = typeof(PlaceOrder).Assembly.GetName().Version!.ToString(3),
                ["description"] = string.Join("\n\n",
                    "Commands to and events from OrderProcessor over RabbitMQ, as MassTransit (v8) lays them out. Every message is a MassTransit JSON envelope (content type application/vnd.masstransit+json) whose `message` holds the command or event; the JSON Schemas of the messages are the files in contracts/schemas (draft 2020-12), generated from OrderProcessor.Contracts.",
                    "Exchanges: one durable fanout exchange per message type, named `OrderProcessor.Contracts:<Type>`; publish with an empty routing key. The envelope's `messageType` must list `urn:message:OrderProcessor.Contracts:<Type>`.",
                    "Authorization: every command must carry the AMQP basic property `user_id` = the RabbitMQ user it is published with (RabbitMQ refuses any other value); the processor acts only for the users and accounts granted to that upstream (`orders upstreams grant`). Without it the command is refused with OrderRejected / UpstreamNotAuthorized.",
                    "De-duplication: commands are idempotent by the envelope's `messageId` (a GUID; the AMQP message_id property is not used): a redelivery or re-publish of the same command under the same messageId has no effect and no second answer; a different command under a used messageId is refused (OrderRejected / ConflictingDuplicate, violation messageId/unique). A PlaceOrder is also idempotent by its orderId. Events are delivered at least once: de-duplicate them by the envelope's `messageId`, which stays the same on every re-publish and replay; `OrderProcessor-OrderSequence` (1, 2, 3... per order, 0 outside an order's chain) orders one order's events.",
                    "Answers: a command that is valid is answered by events; one that breaks a rule, or whose JSON does not bind (a wrong JSON type, a number beyond its type, an enum given as a number or an unknown name) but whose orderId (checkId) can be read, by OrderRejected with reasonCode ValidationFailed and a violation naming the JSON field and the rule (`type` for a value that does not bind, `one-of` for an enum that is not one of its names). Only a message that is not a JSON envelope, or whose id cannot be read, is not answered: it goes to the queue's `_error` queue."),
            },
            ["defaultContentType"] = ContentType,
            ["servers"] = new JsonObject
            {
                ["rabbitmq"] = new JsonObject
                {
                    ["host"] = "127.0.0.1:5673",
                    ["protocol"] = "amqp",
                    ["protocolVersion"] = "0.9.1",
                    ["description"] = "The broker the processor is configured with (RabbitMq:Host, RabbitMq:Port, RabbitMq:VirtualHost); the local services' address is shown.",
                },
            },
            ["channels"] = channels,
            ["operations"] = operations,
            ["components"] = new JsonObject
            {
                ["messages"] = messages,
                ["schemas"] = new JsonObject { ["MassTransitEnvelope"] = Envelope() },
            },
        };
    }

    public static string Exchange(Type type) => $"{type.Namespace}:{type.Name}";

    private static string IdOf(Type command) =>
        command == typeof(MarginCheck) ? "checkId" : command == typeof(HaltTrading) ? "haltId" : command == typeof(ResumeTrading) ? "resumeId" : "orderId";

    private static JsonObject Exchange(Type type, string description) => new()
    {
        ["address"] = Exchange(type),
        ["description"] = description,
        ["messages"] = new JsonObject { [type.Name] = new JsonObject { ["$ref"] = "#/components/messages/" + type.Name } },
        ["bindings"] = new JsonObject { ["amqp"] = ExchangeBinding(Exchange(type)) },
    };

    private static JsonObject ExchangeBinding(string name) => new()
    {
        ["is"] = "routingKey",
        ["exchange"] = new JsonObject { ["name"] = name, ["type"] = "fanout", ["durable"] = true, ["autoDelete"] = false, ["vhost"] = "/" },
        ["bindingVersion"] = "0.3.0",
    };

    private static JsonObject Queue(string name, Type? command, string description)
    {
        var channel = new JsonObject
        {
            ["address"] = name,
            ["description"] = description,
            ["bindings"] = new JsonObject
            {
                ["amqp"] = new JsonObject
                {
                    ["is"] = "queue",
                    ["queue"] = new JsonObject { ["name"] = name, ["durable"] = true, ["exclusive"] = false, ["autoDelete"] = false, ["vhost"] = "/" },
                    ["bindingVersion"] = "0.3.0",
                },
            },
        };
        if (command is not null)
        {
            channel["messages"] = new JsonObject { [command.Name] = new JsonObject { ["$ref"] = "#/components/messages/" + command.Name } };
        }

        return channel;
    }

    private static JsonObject ChannelRef(string channel) => new() { ["$ref"] = "#/channels/" + channel };

    private static JsonObject MessageRef(string channel, string message) => new() { ["$ref"] = $"#/channels/{channel}/messages/{message}" };

    private static JsonObject Message(Type type, bool isCommand)
    {
        var message = new JsonObject
        {
            ["name"] = type.Name,
            ["title"] = type.Name,
            ["contentType"] = ContentType,
            ["payload"] = new JsonObject
            {
                ["allOf"] = new JsonArray(
                    new JsonObject { ["$ref"] = "#/components/schemas/MassTransitEnvelope" },
                    new JsonObject
                    {
                        ["type"] = "object",
                        ["required"] = new JsonArray("messageId", "messageType", "message"),
                        ["properties"] = new JsonObject
                        {
                            ["messageType"] = new JsonObject { ["type"] = "array", ["contains"] = new JsonObject { ["const"] = ContractSchemas.MessageUrn(type) } },
                            ["message"] = new JsonObject { ["$ref"] = "schemas/" + ContractSchemas.FileName(type) },
                        },
                    }),
            },
            ["bindings"] = new JsonObject
            {
                ["amqp"] = new JsonObject { ["contentEncoding"] = "utf-8", ["messageType"] = ContractSchemas.MessageUrn(type), ["bindingVersion"] = "0.3.0" },
            },
        };
        if (isCommand)
        {
            message["description"] = "AMQP basic properties: content_type = application/vnd.masstransit+json, delivery_mode = 2 (persistent), user_id = the RabbitMQ user publishing it (required for authorization). Routing key: empty.";
        }
        else
        {
            message["description"] = "Published from the processor's outbox, at least once. Headers carry the order's and the outbox's sequence.";
            message["headers"] = new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject
                {
                    [OutboxPublisher.OrderSequenceHeader] = new JsonObject { ["type"] = "integer", ["minimum"] = 0, ["description"] = "The event's place in its order's chain: 1, 2, 3... without gaps; 0 outside any order's chain (a standalone margin check, a refused command outside the order)." },
                    [OutboxPublisher.OutboxSequenceHeader] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["description"] = "The event's row in the outbox: global, increasing." },
                    [OutboxReplayer.ReplayHeader] = new JsonObject { ["type"] = "boolean", ["description"] = "Only on the audit exchange: the event is a replay." },
                },
                ["required"] = new JsonArray(OutboxPublisher.OrderSequenceHeader, OutboxPublisher.OutboxSequenceHeader),
            };
        }

        return message;
    }

    private static JsonObject Envelope()
    {
        JsonObject Str(string description, string? format = null)
        {
            var node = new JsonObject { ["type"] = new JsonArray("string", "null"), ["description"] = description };
            if (format is not null)
            {
                node["format"] = format;
            }

            return node;
        }

        return new JsonObject
        {
            ["type"] = "object",
            ["description"] = "MassTransit's JSON envelope (application/vnd.masstransit+json). Only messageId, messageType and message are needed to publish a command; MassTransit fills the rest when it publishes.",
            ["required"] = new JsonArray("messageId", "messageType", "message"),
            ["properties"] = new JsonObject
            {
                ["messageId"] = Str("The message's id: the de-duplication key (a GUID, new for every different command; the same on a re-publish of the same one).", "uuid"),
                ["requestId"] = Str("Set on a request (MarginCheck sent with MassTransit's request client); echoed on the response.", "uuid"),
                ["correlationId"] = Str("Optional; becomes the events' correlationId (else the conversation id, else the message id).", "uuid"),
                ["conversationId"] = Str("Optional.", "uuid"),
                ["initiatorId"] = Str("Optional.", "uuid"),
                ["sourceAddress"] = Str("Optional: the publisher's address.", "uri"),
                ["destinationAddress"] = Str("Optional: the exchange's address.", "uri"),
                ["responseAddress"] = Str("For a request: where the response goes (e.g. rabbitmq://host/vhost/requester-queue).", "uri"),
                ["faultAddress"] = Str("Optional.", "uri"),
                ["messageType"] = new JsonObject
                {
                    ["type"] = "array",
                    ["minItems"] = 1,
                    ["items"] = new JsonObject { ["type"] = "string", ["pattern"] = "^urn:message:" },
                    ["description"] = "The message's types as urns, e.g. [\"urn:message:OrderProcessor.Contracts:PlaceOrder\"].",
                },
                ["message"] = new JsonObject { ["type"] = "object", ["description"] = "The command or event (camelCase fields), see its schema." },
                ["expirationTime"] = Str("Optional.", "date-time"),
                ["sentTime"] = Str("Optional.", "date-time"),
                ["headers"] = new JsonObject { ["type"] = "object", ["description"] = "MassTransit's headers (copied to the AMQP headers too)." },
                ["host"] = new JsonObject { ["type"] = new JsonArray("object", "null"), ["description"] = "Optional: the publishing host's description." },
            },
        };
    }
}
