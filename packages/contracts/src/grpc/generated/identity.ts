import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Actor as _brokerage_common_v1_Actor, Actor__Output as _brokerage_common_v1_Actor__Output } from './brokerage/common/v1/Actor.js';
import type { PageInfo as _brokerage_common_v1_PageInfo, PageInfo__Output as _brokerage_common_v1_PageInfo__Output } from './brokerage/common/v1/PageInfo.js';
import type { PageRequest as _brokerage_common_v1_PageRequest, PageRequest__Output as _brokerage_common_v1_PageRequest__Output } from './brokerage/common/v1/PageRequest.js';
import type { AuthenticateRequest as _brokerage_identity_v1_AuthenticateRequest, AuthenticateRequest__Output as _brokerage_identity_v1_AuthenticateRequest__Output } from './brokerage/identity/v1/AuthenticateRequest.js';
import type { ChangePasswordRequest as _brokerage_identity_v1_ChangePasswordRequest, ChangePasswordRequest__Output as _brokerage_identity_v1_ChangePasswordRequest__Output } from './brokerage/identity/v1/ChangePasswordRequest.js';
import type { IdentityServiceClient as _brokerage_identity_v1_IdentityServiceClient, IdentityServiceDefinition as _brokerage_identity_v1_IdentityServiceDefinition } from './brokerage/identity/v1/IdentityService.js';
import type { Principal as _brokerage_identity_v1_Principal, Principal__Output as _brokerage_identity_v1_Principal__Output } from './brokerage/identity/v1/Principal.js';
import type { SetPasswordRequest as _brokerage_identity_v1_SetPasswordRequest, SetPasswordRequest__Output as _brokerage_identity_v1_SetPasswordRequest__Output } from './brokerage/identity/v1/SetPasswordRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  brokerage: {
    common: {
      v1: {
        Actor: MessageTypeDefinition<_brokerage_common_v1_Actor, _brokerage_common_v1_Actor__Output>
        CustomerStatus: EnumTypeDefinition
        PageInfo: MessageTypeDefinition<_brokerage_common_v1_PageInfo, _brokerage_common_v1_PageInfo__Output>
        PageRequest: MessageTypeDefinition<_brokerage_common_v1_PageRequest, _brokerage_common_v1_PageRequest__Output>
        Role: EnumTypeDefinition
        Side: EnumTypeDefinition
        Tier: EnumTypeDefinition
      }
    }
    identity: {
      v1: {
        AuthenticateRequest: MessageTypeDefinition<_brokerage_identity_v1_AuthenticateRequest, _brokerage_identity_v1_AuthenticateRequest__Output>
        ChangePasswordRequest: MessageTypeDefinition<_brokerage_identity_v1_ChangePasswordRequest, _brokerage_identity_v1_ChangePasswordRequest__Output>
        IdentityService: SubtypeConstructor<typeof grpc.Client, _brokerage_identity_v1_IdentityServiceClient> & { service: _brokerage_identity_v1_IdentityServiceDefinition }
        Principal: MessageTypeDefinition<_brokerage_identity_v1_Principal, _brokerage_identity_v1_Principal__Output>
        SetPasswordRequest: MessageTypeDefinition<_brokerage_identity_v1_SetPasswordRequest, _brokerage_identity_v1_SetPasswordRequest__Output>
      }
    }
  }
}

