/** Syslog severity names, 0 (emergency) … 7 (debug): the one scale every preset maps from. */
export const SEVERITY_NAMES = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'debug'] as const;
export type SeverityName = (typeof SEVERITY_NAMES)[number];

export interface EventSeverity {
	/** syslog scale: 0 emergency … 7 debug */
	code: number;
	name: SeverityName;
}

export interface EventFact {
	label: string;
	value: string;
}

export type VendorShape = 'velocloud' | 'illumio' | 'forcepointSmcLog' | 'forcepointSmcElement' | 'networkInsightFlow' | 'generic';

/**
 * What every channel preset needs to know about an event, whichever appliance it came from:
 * who did it, what happened, where, when, how bad, and where to look.
 * Values are raw text: each preset escapes and bounds them for its channel.
 */
export interface EventSummary {
	shape: VendorShape;
	vendor: string;
	product: string;
	/** the kind of event: VCO `event`, Illumio `event_type`, SMC situation, vRNI flow action */
	eventType: string;
	/** one line naming the event, for subjects, headers and titles */
	title: string;
	/** what happened, in words (may span lines) */
	message: string;
	/** the user, agent or address that caused it */
	who?: string;
	/** the edge, workload, engine or destination it concerns */
	where?: string;
	/** the device that reported it (edge, PCE, firewall node), for CEF dvchost */
	device?: string;
	sourceAddress?: string;
	destinationAddress?: string;
	time?: Date;
	/** the time as the event wrote it, when it could not be read as a date */
	timeText?: string;
	/** undefined when the event carries no severity or one no scale knows (see severityText) */
	severity?: EventSeverity;
	/** the severity as the event wrote it */
	severityText?: string;
	/** the field the severity came from, for error messages */
	severityField?: string;
	/** a link to the event in the appliance's UI, when its address is known */
	link?: string;
	/** the event's id on its appliance */
	id?: string;
	/** further labelled values worth showing (edge, enterprise, source IP, rule …) */
	facts: EventFact[];
}

/** Options the summary takes from the node (not from the event). */
export interface SummaryOptions {
	/** base URL of the appliance's UI, e.g. https://pce.example.com:8443 */
	applianceUrl?: string;
}
