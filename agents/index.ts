/**
 * The agents layer's public entry: the registry API with every agent kind registered.
 * Kinds outside the scripted core (CFR, neural policies, language models) register themselves when their
 * module is imported; importing them here means any command or league can name them.
 */
import './solvers/cfr-agent.ts';
import './runtime/neural-agent-kind.ts';
import './runtime/alphazero-agent-kind.ts';
import './llm/llm-agent-kind.ts';

export type { Agent, DecisionRequest, MoveNote, SearchAgent } from './agent.ts';
export { MoveNoteSchema, MoveNotesSchema } from './move-note.ts';
export { isSearchAgent } from './agent.ts';
export { paramsOfModels } from './runtime/model-manifest.ts';
export {
  AgentSpecSchema,
  agentKinds,
  createAgent,
  describeOptions,
  formatAgentSpec,
  parseAgentSpecs,
  registerAgentKind,
  type AgentKindDefinition,
  type AgentSpec,
  type AgentSpecInput,
} from './registry.ts';
