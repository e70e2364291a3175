/** The API's resources as this app reads them (see infra/openapi/apartment-manager.openapi.json). */
export const STATUSES = ['received', 'classified', 'risk_assessed', 'options_simulated', 'decided', 'awaiting_resident_choice',
  'awaiting_manager_approval', 'executing', 'resolved', 'escalated', 'cancelled', 'failed'] as const;
export const CATEGORIES = ['plumbing', 'electrical', 'hvac', 'appliance', 'pest', 'structural', 'security_access', 'noise_neighbor',
  'billing', 'lease', 'package_delivery', 'amenity_parking', 'general'] as const;
export const URGENCIES = ['low', 'normal', 'high', 'emergency'] as const;
export const CHANNELS = ['web', 'sms', 'email', 'voice'] as const;
/** Statuses after which nothing more happens by itself (polling stops). */
export const SETTLED = new Set(['resolved', 'cancelled', 'failed', 'closed']);

export interface HistoryEntry { at: string; event: string; actor: string; from?: string | null; to?: string | null; detail?: string | null }
export interface Classification { category: string; urgency: string; confidence: number; secondaryCategories: string[]; evidence: string[]; stage: string; modelVersion: string }
export interface RiskFactor { name: string; contribution: number; value?: string | null }
export interface RiskAssessment { probability: number; level: string; factors: RiskFactor[]; modelVersion: string }
export interface PolicyCitation { documentId: string; section: string; title: string; score: number; text?: string | null; passage?: string | null }
export interface OptionSimulation {
  runs: number; p50Hours: number; p90Hours: number; expectedCost: number; costLow: number; costHigh: number;
  escalationProbability: number; expectedSatisfaction: number; policyCompliant: boolean; policyNotes: string[];
}
export interface ResolutionOption { id: string; kind: string; title: string; description: string; simulation: OptionSimulation; citations: PolicyCitation[] }
export interface OptionScore { optionId: string; total: number; breakdown: Record<string, number>; violatedConstraints: string[] }
export interface Decision {
  recommendedOptionId: string; nextStep: string; ranking: OptionScore[]; citations: PolicyCitation[]; reasoning: string;
  policyVersion: string; decidedAt: string; responseSla?: string | null;
}
export interface ExecutionRecord { id: string; action: string; gateway: string; status: string; attempts: number; startedAt: string; completedAt: string | null; externalReference: string | null; error: string | null }
export interface Resolution { outcome: string; rating: number | null; resolvedBy: string; resolvedAt: string }
export interface RequestResource {
  id: string; residentId: string; building: string; unit: string; channel: string; message: string; status: string;
  createdAt: string; updatedAt: string; classification: Classification | null; risk: RiskAssessment | null;
  options: ResolutionOption[]; decision: Decision | null; selectedOptionId: string | null; executions: ExecutionRecord[];
  resolution: Resolution | null; history: HistoryEntry[];
  /** A clarifying question awaiting the resident's answer, where the API offers them. */
  question?: { text?: string; question?: string; prompt?: string; askedAt?: string } | string | null;
  slaDueAt?: string | null;
  /** What the office's ledger review found (managers also see the note and who recorded it). */
  finding?: LedgerFinding | null;
}
export interface LedgerFinding { chargeWrong: boolean; amount: number; note?: string | null; foundBy: string; foundAt: string; summary: string }
export interface RequestList { items: RequestResource[]; continuationToken: string | null }
export interface WorkflowView { requestId: string; status: string; runtimeStatus: string; currentStep: string | null; awaitedEvent: string | null; dueAt: string | null; detail: string | null; history: HistoryEntry[] }
export interface QueueDepth { queue: string; ready: number; inFlight: number; deadLettered: number; completed: number }
export interface QueuedMessage { queue: string; messageId: string; body: string; attempts: number; state: string; lastError: string | null; enqueuedAt: string; deadLetteredAt: string | null }
