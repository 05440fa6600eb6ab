import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AssetServiceClient as _brokerage_asset_v1_AssetServiceClient, AssetServiceDefinition as _brokerage_asset_v1_AssetServiceDefinition } from './brokerage/asset/v1/AssetService.js';
import type { Balance as _brokerage_asset_v1_Balance, Balance__Output as _brokerage_asset_v1_Balance__Output } from './brokerage/asset/v1/Balance.js';
import type { ListBalancesRequest as _brokerage_asset_v1_ListBalancesRequest, ListBalancesRequest__Output as _brokerage_asset_v1_ListBalancesRequest__Output } from './brokerage/asset/v1/ListBalancesRequest.js';
import type { ListBalancesResponse as _brokerage_asset_v1_ListBalancesResponse, ListBalancesResponse__Output as _brokerage_asset_v1_ListBalancesResponse__Output } from './brokerage/asset/v1/ListBalancesResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  brokerage: {
    asset: {
      v1: {
        AssetService: SubtypeConstructor<typeof grpc.Client, _brokerage_asset_v1_AssetServiceClient> & { service: _brokerage_asset_v1_AssetServiceDefinition }
        Balance: MessageTypeDefinition<_brokerage_asset_v1_Balance, _brokerage_asset_v1_Balance__Output>
        ListBalancesRequest: MessageTypeDefinition<_brokerage_asset_v1_ListBalancesRequest, _brokerage_asset_v1_ListBalancesRequest__Output>
        ListBalancesResponse: MessageTypeDefinition<_brokerage_asset_v1_ListBalancesResponse, _brokerage_asset_v1_ListBalancesResponse__Output>
      }
    }
  }
}

