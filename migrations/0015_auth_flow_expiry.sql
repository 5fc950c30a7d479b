-- Finished and lapsed flows are swept (src/identity/flow-sweeper.ts): every movement's
-- notice carries a freeze link, which is a flow row, so the table grows with payments.
CREATE INDEX auth_flows_expiry ON auth_flows (expires_at);
CREATE INDEX otp_challenges_by_flow ON otp_challenges (flow_id);
