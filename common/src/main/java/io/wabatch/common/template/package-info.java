/**
 * The template catalogue (issue 18): each business account's message templates as the API lists
 * them, kept in the compacted {@code wa.templates} topic and checked against every template job
 * before its media are uploaded or it is sent.
 *
 * <ul>
 *   <li>{@link io.wabatch.common.template.TemplateDefinition}: one template as listed, parsed leniently;</li>
 *   <li>{@link io.wabatch.common.template.TemplateChecker}: pure, a job's {@code template} object against
 *       the account's catalogue, giving a {@link io.wabatch.common.template.TemplateProblem} a person can act on;</li>
 *   <li>{@link io.wabatch.common.template.TemplateCatalogue}: the in-memory view of the topic, by account;
 *       {@link io.wabatch.common.template.TemplateFollower} keeps it up to date from the topic;</li>
 *   <li>{@link io.wabatch.common.template.TemplateSync}: lists one account through the API and writes what
 *       changed (definitions, tombstones for deleted templates, the account's record).</li>
 * </ul>
 */
package io.wabatch.common.template;
